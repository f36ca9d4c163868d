package review

import (
	"errors"
	"testing"
	"time"

	"newsdesk/internal/model"
)

func TestParseLedgerQuery(t *testing.T) {
	tz := time.FixedZone("CST", 8*3600)
	q, err := ParseLedgerQuery(map[string][]string{"from": {" 2026-03-01 "}, "to": {"2026-03-31"}, "column": {"3", "", "7"}}, tz)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 1, 0, 0, 0, 0, tz); !q.From.Equal(want) {
		t.Errorf("from %v, want %v", q.From, want)
	}
	// To is inclusive: the query's end is the next day's start.
	if want := time.Date(2026, 4, 1, 0, 0, 0, 0, tz); !q.To.Equal(want) {
		t.Errorf("to %v, want %v", q.To, want)
	}
	if len(q.ColumnIDs) != 2 || q.ColumnIDs[0] != 3 || q.ColumnIDs[1] != 7 {
		t.Errorf("columns %v, want [3 7]", q.ColumnIDs)
	}
	if q, err := ParseLedgerQuery(nil, tz); err != nil || !q.From.IsZero() || !q.To.IsZero() || q.ColumnIDs != nil {
		t.Errorf("no parameters: %+v, %v; want the whole ledger", q, err)
	}
	for _, c := range []struct {
		params      map[string][]string
		name, value string
	}{
		{map[string][]string{"from": {"2026-13-01"}}, "from", "2026-13-01"},
		{map[string][]string{"to": {"yesterday"}}, "to", "yesterday"},
		{map[string][]string{"column": {"news"}}, "column", "news"},
	} {
		_, err := ParseLedgerQuery(c.params, tz)
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Name != c.name || pe.Value != c.value || !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%v: %v, want a ParamError for %s=%q that is ErrInvalid", c.params, err, c.name, c.value)
		}
	}
}
