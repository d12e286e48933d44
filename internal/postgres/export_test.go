package postgres

// PgError exposes pgError to the package's external tests.
var PgError = pgError

// CustomPlans exposes customPlans to the package's external tests.
const CustomPlans = customPlans
