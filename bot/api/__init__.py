"""The gateway's HTTP layer: shared dependencies, request bodies, the error table, the routers."""
