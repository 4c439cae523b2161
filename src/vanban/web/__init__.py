"""Server-rendered pages in Vietnamese. Views are thin: they authorize, call one service
or query function, and render; business rules live in the apps' services."""
