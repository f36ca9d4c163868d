// Package table writes exports (the audit log, the review ledger, the
// rectification list) as CSV or XLSX, a row at a time.
package table

import (
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"

	"newsdesk/internal/model"
)

// Export formats.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// ContentType is the media type of an export in format.
func ContentType(format string) string {
	if format == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Table writes rows of text as CSV or as an XLSX sheet, streamed: the
// sheet keeps rows on disk past a small buffer, so a long export does not
// sit in memory.
type Table struct {
	csv  *csv.Writer
	xlsx *excelize.File
	sw   *excelize.StreamWriter
	n    int
	w    io.Writer
}

// New starts a table in format (CSV or XLSX) on w.
func New(format string, w io.Writer) (*Table, error) {
	switch format {
	case CSV:
		return &Table{csv: csv.NewWriter(w)}, nil
	case XLSX:
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			f.Close()
			return nil, err
		}
		return &Table{xlsx: f, sw: sw, n: 1, w: w}, nil
	}
	return nil, model.Invalid("export_format", format)
}

// Write adds a row.
func (t *Table) Write(cells []string) error {
	if t.csv != nil {
		return t.csv.Write(cells)
	}
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = c
	}
	cell, err := excelize.CoordinatesToCellName(1, t.n)
	if err != nil {
		return err
	}
	t.n++
	return t.sw.SetRow(cell, vals)
}

// Close finishes the table and writes what is left.
func (t *Table) Close() error {
	if t.csv != nil {
		t.csv.Flush()
		return t.csv.Error()
	}
	defer t.xlsx.Close()
	if err := t.sw.Flush(); err != nil {
		return err
	}
	return t.xlsx.Write(t.w)
}
