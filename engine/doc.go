// Package engine is bidui's domain, pure: no files, no database, no window.
//
// It holds what a county's monitoring work is made of and the rules that
// decide it: ID numbers (idno.go) and the values in department cells
// (values.go); the roster of formerly-poor and monitored households
// (roster.go, rosterimport.go); the catalog of departments, their lists and
// warning rules (catalog.go, catalogtext.go); reading a sheet's header and
// rows (read.go, table.go) and checking a department list (listimport.go,
// listcore.go: the import's decisions); the comparison, phase by phase
// (match.go); clues and their lifecycle (clue.go, feedback.go); numbered
// assignments and the working-day calendar (assign.go, calendar.go);
// periods (month.go); and the records kept of each change (records.go).
//
// The adapters that touch the outside world live below it, named after
// what they wrap: engine/excel (spreadsheets), engine/pdf (gofpdf sheets),
// engine/files (atomic writes); engine/demo generates the demo county.
// The app package wires them to the store.
package engine
