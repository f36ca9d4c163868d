package importer_test

import (
	"testing"

	"newsdesk/internal/i18n"
	"newsdesk/internal/importer"
)

// why is a skipped item's reason in English, as the summary prints it.
func why(t *testing.T, s importer.Skip) string {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return s.Why.Text(func(key string, args ...any) string {
		if !c.Has(key) {
			t.Errorf("reason %q is not in the catalogue", key)
		}
		return c.T(i18n.EN, key, args...)
	})
}
