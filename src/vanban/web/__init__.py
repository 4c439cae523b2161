"""Server-rendered pages in Vietnamese. Views are thin: they call one service or query
function, and render; business rules live in the apps' services. Who may reach every page
and endpoint (this app's, the search page, the admin, the hub's) is one table,
:mod:`vanban.web.access`, applied before any view by :mod:`vanban.web.authorize`."""
