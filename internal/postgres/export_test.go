package postgres

// PgError exposes pgError to the package's external tests.
var PgError = pgError
