package postgres

// PgError exposes pgError to the package's external tests.
var PgError = pgError

// CustomPlans exposes customPlans to the package's external tests.
const CustomPlans = customPlans

// AnalyseAfterRows lets tests lower the size of a batch after which the tables it
// wrote are analysed.
var AnalyseAfterRows = &analyseAfterRows
