package media

import (
	"testing"
)

// testStorages returns fresh, empty storages for a media test to run
// against: the local folder always, and more where their servers run.
func testStorages(t *testing.T) map[string]Storage {
	t.Helper()
	return map[string]Storage{"local": &Local{Dir: t.TempDir()}}
}
