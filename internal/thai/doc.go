// Package thai reads numbers, dates and years the way people in Thai agencies type
// them: Thai digits (๐–๙), thousands separators, Thai month names and abbreviations,
// and Buddhist-Era years (B.E. = C.E. + 543).
package thai
