"""Server-rendered pages and browser sessions."""
