package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestDeskAPIStaysOnTheDeskListener: with the desk on a listener of its
// own, the public one serves the content API and answers the desk API
// with a JSON 404; the desk listener serves the desk API.
func TestDeskAPIStaysOnTheDeskListener(t *testing.T) {
	a, _ := apiSite(t)
	public := httptest.NewServer(a.Web.PublicHandler())
	defer public.Close()
	desk := httptest.NewServer(a.Web.DeskHandler(nil))
	defer desk.Close()
	get := func(base, path string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+site.tokens["editor"])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var j map[string]any
		if err := json.Unmarshal(b, &j); err != nil {
			t.Errorf("%s: not JSON: %.200s", path, b)
		}
		return res.StatusCode, j
	}
	if st, _ := get(public.URL, "/api/v1/columns"); st != 200 {
		t.Errorf("content API on the public listener: %d", st)
	}
	if st, j := get(public.URL, "/api/v1/desk/articles"); st != 404 || j["error"] == nil {
		t.Errorf("desk API on the public listener: %d %v", st, j)
	}
	if st, _ := get(desk.URL, "/api/v1/desk/articles"); st != 200 {
		t.Errorf("desk API on the desk listener: %d", st)
	}
}
