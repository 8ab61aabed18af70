"""The database: engines (engine), advanced-alchemy configuration (config), migrations (migrate),
SQLite answered in the event loop's thread (sqlite_inline) and online backups (backup)."""
