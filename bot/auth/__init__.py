"""Login, roles, sessions and CSRF protection for the admin console and the staff queue.

Route code takes the logged-in user through the ``Annotated`` aliases of :mod:`bot.api.deps` and
renders pages with :func:`bot.auth.pages.render`; the app builds an :class:`bot.auth.store.AuthStore` in
its lifespan. Auth errors become a login redirect, 401 or a 403 page through the error table in
:mod:`bot.api.errors`.
"""
