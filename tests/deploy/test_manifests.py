"""The Kubernetes manifests (deploy/k8s) against the Kubernetes API schemas and against this code base.

No cluster runs here, so what can be checked without one is: every object is valid for the Kubernetes
API (kubernetes-validate's bundled OpenAPI schemas, strict: an unknown field is an error); the commands
name modules, options and files that exist; every ``KOMMUNSVAR_*`` variable the manifests set is one the
code reads; the settings the pods get pass the gateway's own production checks (real secrets, key files
outside the data folder); the probes and the Service point at ports and paths that exist; and every
container runs as a non-root user with a read-only root file system and a volume for what it writes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES = "1.30"
CODE_FOLDERS = ("bot", "actions", "guardrails", "audit", "content", "cases")


def _documents() -> list[tuple[str, dict[str, Any]]]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    docs = []
    for name in kustomization["resources"]:
        for doc in yaml.safe_load_all((K8S / name).read_text()):
            if doc:
                docs.append((name, doc))
    return docs


DOCS = _documents()


def _one(kind: str) -> dict[str, Any]:
    found = [doc for _, doc in DOCS if doc["kind"] == kind]
    assert len(found) == 1, kind
    return found[0]


def _pod_specs() -> list[dict[str, Any]]:
    deployment = _one("Deployment")["spec"]["template"]["spec"]
    job = _one("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return [deployment, job]


def _containers() -> list[dict[str, Any]]:
    return [c for spec in _pod_specs() for c in spec.get("initContainers", []) + spec["containers"]]


def test_every_file_of_the_folder_is_a_resource_of_the_kustomization():
    listed = set(yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}


@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[f"{n}:{d['kind']}" for n, d in DOCS])
def test_each_object_is_valid_for_the_kubernetes_api(name, doc):
    kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_a_wrong_field_is_caught():
    """The check above can fail: a misspelt field in the Deployment is an error."""
    broken = yaml.safe_load(yaml.safe_dump(_one("Deployment")))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_commands_name_modules_and_files_that_exist():
    for container in _containers():
        command = container.get("command", [])
        if command[:2] == ["python", "-m"]:
            module = Path(*command[2].split("."))
            assert (ROOT / module.with_suffix(".py")).exists() or (ROOT / module / "__main__.py").exists(), (
                command
            )
        for word in command:
            if re.fullmatch(r"(bot|data|models)/[\w/.-]+", word) and not word.startswith("models/"):
                assert (ROOT / word).exists(), word


def test_the_gateway_command_is_accepted_by_its_own_parser(monkeypatch):
    """``bot.gateway_serve`` parses the manifest's options (the server itself is not started)."""
    import bot.gateway_serve as gateway_serve

    gateway = next(c for c in _containers() if c["name"] == "gateway")
    seen: dict[str, Any] = {}

    class NoServer:
        def __init__(self, config: Any) -> None:
            seen["config"] = config
            self.started = True

        def run(self, sockets: Any) -> None:
            seen["sockets"] = sockets

    monkeypatch.setattr(gateway_serve.uvicorn, "Server", NoServer)
    monkeypatch.setattr(gateway_serve, "reusable_socket", lambda host, port: (host, port))
    assert gateway_serve.main(gateway["command"][3:]) == 0
    assert seen["sockets"] == [("0.0.0.0", 8000)]
    ports = {p["name"]: p["containerPort"] for p in gateway["ports"]}
    assert ports["http"] == 8000
    assert _one("Service")["spec"]["ports"][0]["targetPort"] == "http"


def _known_variables() -> set[str]:
    """Every KOMMUNSVAR_ variable the code reads: the settings classes' fields and literal names."""
    from actions.settings import ActionSettings
    from audit.settings import AuditSettings
    from bot.auth.settings import AuthSettings
    from bot.settings import Settings
    from cases.settings import CasesSettings
    from content.semantic.settings import SemanticSettings
    from content.site.settings import SiteSettings
    from guardrails.settings import GuardrailSettings

    known = set()
    for cls in (
        Settings,
        ActionSettings,
        AuditSettings,
        AuthSettings,
        CasesSettings,
        SemanticSettings,
        SiteSettings,
        GuardrailSettings,
    ):
        prefix = cls.model_config.get("env_prefix", "")
        known |= {f"{prefix}{field}".upper() for field in cls.model_fields}
    for folder in CODE_FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".yml"}:
                known |= set(re.findall(r"KOMMUNSVAR_[A-Z0-9_]+", path.read_text(errors="replace")))
    return known


def _manifest_env() -> dict[str, str]:
    config = _one("ConfigMap")["data"]
    env = dict(config)
    for container in _containers():
        for item in container.get("env", []):
            env[item["name"]] = item.get("value", "<secret>")
    return env


def test_every_variable_the_manifests_set_is_read_by_the_code():
    known = _known_variables()
    unknown = sorted(n for n in _manifest_env() if n.startswith("KOMMUNSVAR_") and n not in known)
    assert not unknown, f"set in deploy/k8s but read nowhere: {unknown}"
    # The store variables the Deployment's comment asks the operator for are read too.
    listed = re.findall(r"KOMMUNSVAR_[A-Z_]+", (K8S / "deployment.yaml").read_text())
    assert not sorted(set(listed) - known)


def test_the_pods_settings_pass_the_production_checks(monkeypatch, tmp_path):
    from bot.settings import Settings

    env = _manifest_env()
    for name, value in env.items():
        monkeypatch.setenv(name, "s3cret-" + "x" * 32 if value == "<secret>" else value)
    settings = Settings()
    assert settings.environment == "production"
    policy = settings.key_policy
    for name in (
        "KOMMUNSVAR_AUDIT_KEY_PATH",
        "KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH",
        "KOMMUNSVAR_CASES_KEY_PATH",
    ):
        policy.check_location(Path(env[name]), name)  # raises for a key inside the data folder
    policy.check_location(settings.resolved_vault_key_path, "KOMMUNSVAR_VAULT_KEY_PATH")
    # The key files are where the gateway mounts the in-memory copy of the Secret, read-only.
    gateway = next(c for c in _containers() if c["name"] == "gateway")
    mounts = {m["mountPath"]: m for m in gateway["volumeMounts"]}
    assert mounts["/etc/kommunsvar/keys"]["readOnly"] is True
    assert all(Path(env[n]).parent == Path("/etc/kommunsvar/keys") for n in env if n.endswith("_KEY_PATH"))
    # A placeholder instead of a real secret is refused, as it would be in the pod.
    monkeypatch.setenv("KOMMUNSVAR_PSEUDONYM_KEY", "changeme")
    with pytest.raises(ValueError, match="PSEUDONYM_KEY"):
        Settings()


def test_the_readiness_probe_is_the_health_route_and_rasa_stays_on_loopback():
    from bot.main import create_app
    from bot.settings import Settings

    paths = set(create_app(Settings(environment="development")).openapi()["paths"])
    gateway = next(c for c in _containers() if c["name"] == "gateway")
    assert gateway["readinessProbe"]["httpGet"]["path"] in paths
    rasa = next(c for c in _containers() if c["name"] == "rasa")
    command = rasa["command"]
    assert command[command.index("-i") + 1] == "127.0.0.1"
    assert "ports" not in rasa  # no port of Rasa or the action server is declared outside the pod
    config = _one("ConfigMap")["data"]
    assert config["SANIC_HOST"] == "127.0.0.1"
    assert config["KOMMUNSVAR_ACTION_WEBHOOK"].startswith("http://127.0.0.1:")


def test_every_container_is_locked_down_and_writes_only_to_volumes():
    config = _one("ConfigMap")["data"]
    for spec in _pod_specs():
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["automountServiceAccountToken"] is False
    for container in _containers():
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True and context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        if container["name"] != "prepare":
            assert {config["KOMMUNSVAR_VAR_DIR"], "/tmp"} <= mounts, container["name"]
