"""Login, roles, sessions and CSRF protection for the admin console and the staff queue.

Route code imports the ``Annotated`` aliases from :mod:`bot.auth.deps` and renders pages with
:func:`bot.auth.pages.render`; the app builds an :class:`bot.auth.store.AuthStore` in its lifespan and
installs the error pages with :func:`bot.auth.pages.install_auth_handlers`.
"""
