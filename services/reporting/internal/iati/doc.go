// Package iati writes the programme's activities as an IATI Activity Standard 2.03 document
// (`iati-activities`), the form in which Sida and ICLD publish aid data: one activity per network (hierarchy
// 1), partnership (2) and funded application (3), tied together by related-activity links.
//
// The package is plain Go: callers (the reporting server) read their rows, turn each into an Activity and hand
// them to Write one at a time. Write streams: it encodes one activity, flushes it to the writer and asks for the
// next, so memory stays flat however many activities a document holds.
//
// Three layers keep the output valid:
//
//   - the element order, the required attributes and the value formats follow iati-activities-schema.xsd
//     (copied into xsd/schemas/); the tests validate every document they write with xmllint through
//     package xsd;
//   - Check refuses any code that is not an active item of the IATI codelists copied into codelists/
//     (status, organisation role and type, country, sector per vocabulary, transaction and related-activity
//     type, currency, language), and the IATI rules the schema cannot express that the writer relies on
//     (a start date, percentages per sector vocabulary adding up to 100, budget periods of at most a year);
//   - Write checks the header and every activity before writing any of it, so it never emits an activity
//     that breaks those rules.
//
// What stays the caller's job: splitting a multi-year budget into periods of at most one year (by calendar
// year is what IATI recommends), giving sector percentages that add up to 100 per vocabulary (the writer
// checks, it does not spread), reporting transactions only at the lowest hierarchy level so that nothing is
// counted twice, and giving each activity an identifier that starts with the reporting organisation's ref.
//
// A document with no activity is not valid IATI (the schema requires at least one iati-activity), so Write
// returns ErrNoActivities without writing a byte; the caller decides what "nothing to publish" means. A failure
// after the first byte (a bad activity, a source or writer error) leaves a truncated document behind, which no
// XML reader accepts: a streamed document cannot be taken back, so callers that must not publish a partial
// file write to a temporary file and rename it on success.
package iati
