"""The admin console's services: audit filters and queries, charts, exports, record views, verify jobs.

Routes live in :mod:`bot.api.routes.admin`; they stay thin and call :class:`bot.admin.service.AdminConsole`.
"""
