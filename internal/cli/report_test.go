package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReportFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    string // Week, Format, Lang, Output, Stdout, Force
		wantErr string
	}{
		{args: "--week 2025-11-19", want: "2025-11-13..2025-11-19 md  '' false false"},
		{args: "--week 2025-11-19 --format html --lang en -o r.html --force", want: "2025-11-13..2025-11-19 html en 'r.html' false true"},
		{args: "--from 2025-11-01 --to 2025-11-30 --stdout", want: "2025-11-01..2025-11-30 md  '' true false"},
		{args: "--week 2025-11-19 --from 2025-11-01 --to 2025-11-02", wantErr: "--week cannot be combined with --from/--to"},
		{args: "--from 2025-11-01", wantErr: "--from and --to go together"},
		{args: "--from 2025-11-30 --to 2025-11-01", wantErr: "range ends (2025-11-01) before it starts (2025-11-30)"},
		{args: "--week 19.11.2025", wantErr: `--week: "19.11.2025" is not a date (YYYY-MM-DD, today, yesterday, last, this or next)`},
		{args: "--week 2025-11-19 --format docx", wantErr: `--format must be one of html|json|md|tex, not "docx"`},
		{args: "--week 2025-11-19 --lang fr", wantErr: `--lang must be zh or en, not "fr"`},
		{args: "--week 2025-11-19 -o x.md --stdout", wantErr: "-o and --stdout cannot be combined"},
		{args: "--week 2025-11-19 extra", wantErr: "accepts 0 arg(s), received 1"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			got, err := runFlags(t, newCmdReport, tt.args)
			if usageErrorCase(t, err, tt.wantErr) {
				return
			}
			s := strings.Join([]string{got.Week.String(), got.Format, got.Lang, "'" + got.Output + "'", boolText(got.Stdout), boolText(got.Force)}, " ")
			if s != tt.want {
				t.Errorf("options %q, want %q", s, tt.want)
			}
		})
	}
}

func TestLogFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    string // Text | Date | Week | JSON
		wantErr string
	}{
		{args: "--date 2025-11-17 moved the data", want: "moved the data|2025-11-17||false"},
		{args: "--week 2025-11-19 --json", want: "|0001-01-01|2025-11-13..2025-11-19|true"},
		{args: "--week 2025-11-19 text", wantErr: "--week lists the log; it takes no TEXT"},
		{args: "--date 2025-11-17", wantErr: "--date needs TEXT to append"},
		{args: "--json text", wantErr: "--json applies to listing (--week)"},
		{args: "--date 2025-02-30 x", wantErr: `--date: "2025-02-30" is not a date (YYYY-MM-DD, today, yesterday, last, this or next)`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			got, err := runFlags(t, newCmdLog, tt.args)
			if usageErrorCase(t, err, tt.wantErr) {
				return
			}
			week := ""
			if !got.Week.Start.IsZero() {
				week = got.Week.String()
			}
			s := strings.Join([]string{got.Text, got.Date.Format(time.DateOnly), week, boolText(got.JSON)}, "|")
			if s != tt.want {
				t.Errorf("options %q, want %q", s, tt.want)
			}
		})
	}
}

// TestReportBareWeek checks that a bare `report` (and `log`) takes the next
// meeting on or after today, on the config's weekday, from the factory's clock.
func TestReportBareWeek(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("report:\n  weekday: friday\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ now, want string }{
		{"2025-11-21", "2025-11-15..2025-11-21"}, // a Friday: today's meeting
		{"2025-11-22", "2025-11-22..2025-11-28"},
	} {
		now, _ := time.Parse(time.DateOnly, tc.now)
		ios, _, _, _ := Test()
		f := NewFactory(ios, nil)
		f.WorkDir, f.Workspace = dir, dir
		f.Now = func() time.Time { return now.Add(15 * time.Hour) }
		var got *reportOptions
		cmd := newCmdReport(f, func(o *reportOptions) error { got = o; return nil })
		cmd.SetArgs(nil)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if got.Week.String() != tc.want {
			t.Errorf("now %s: week %s, want %s", tc.now, got.Week, tc.want)
		}
		var gotLog *logOptions
		lcmd := newCmdLog(f, func(o *logOptions) error { gotLog = o; return nil })
		lcmd.SetArgs(nil)
		if err := lcmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if gotLog.Week.String() != tc.want {
			t.Errorf("log, now %s: week %s, want %s", tc.now, gotLog.Week, tc.want)
		}
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestDateWords checks --week and --date words against the factory's
// clock and the config's meeting weekday (Friday here).
func TestDateWords(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("report:\n  weekday: friday\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 11, 22, 15, 0, 0, 0, time.UTC) // a Saturday
	for _, tc := range []struct{ args, want string }{
		{"--week this", "2025-11-22..2025-11-28"},
		{"--week last", "2025-11-15..2025-11-21"},
		{"--week next", "2025-11-29..2025-12-05"},
		{"--week today", "2025-11-16..2025-11-22"},
		{"--week 上周", "2025-11-15..2025-11-21"},
		{"--from yesterday --to today", "2025-11-21..2025-11-22"},
	} {
		ios, _, _, _ := Test()
		f := NewFactory(ios, nil)
		f.WorkDir, f.Workspace = dir, dir
		f.Now = func() time.Time { return now }
		var got *reportOptions
		cmd := newCmdReport(f, func(o *reportOptions) error { got = o; return nil })
		cmd.SetArgs(strings.Fields(tc.args))
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%s: %v", tc.args, err)
		}
		if got.Week.String() != tc.want {
			t.Errorf("report %s: week %s, want %s", tc.args, got.Week, tc.want)
		}
	}
	ios, _, _, _ := Test()
	f := NewFactory(ios, nil)
	f.WorkDir, f.Workspace = dir, dir
	f.Now = func() time.Time { return now }
	var got *logOptions
	cmd := newCmdLog(f, func(o *logOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--date", "yesterday", "ran", "it"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if d := got.Date.Format(time.DateOnly); d != "2025-11-21" {
		t.Errorf("log --date yesterday: %s", d)
	}
}
