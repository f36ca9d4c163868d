package config

import "testing"

func TestEmptyAddressRefused(t *testing.T) {
	t.Setenv("NEWSDESK_ADDR", "")
	c, err := Parse("serve", nil)
	if err == nil {
		t.Fatalf("an empty NEWSDESK_ADDR was accepted: %+v", c)
	}
}

func TestParse(t *testing.T) {
	c, err := Parse("serve", nil)
	if err != nil || c.Addr != "127.0.0.1:8080" || c.Data != "./data" || c.Demo || c.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("defaults = %+v, %v", c, err)
	}
	t.Setenv("NEWSDESK_DEMO", "true")
	t.Setenv("NEWSDESK_DATA", "/srv/news")
	c, err = Parse("serve", []string{"--addr", "0.0.0.0:80"})
	if err != nil || !c.Demo || c.Data != "/srv/news" || c.Addr != "0.0.0.0:80" {
		t.Fatalf("env and flags = %+v, %v", c, err)
	}
	for _, args := range [][]string{{"--addr", "nonsense"}, {"--cache-mb", "0"}, {"--base-url", "ftp://x"}, {"--log-level", "loud"}} {
		if _, err := Parse("serve", args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
