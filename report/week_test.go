package report

import (
	"strings"
	"testing"
	"time"
)

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWeekEnding(t *testing.T) {
	t.Parallel()
	w := WeekEnding(date(t, "2025-11-19"))
	if got, want := w.String(), "2025-11-13..2025-11-19"; got != want {
		t.Fatalf("WeekEnding = %s, want %s", got, want)
	}
	if w.Days() != 7 {
		t.Errorf("Days = %d, want 7", w.Days())
	}
	for _, tc := range []struct {
		day  string
		week string
		want bool
	}{
		{"2025-11-12", "2025-11-19", false},
		{"2025-11-13", "2025-11-19", true},
		{"2025-11-19", "2025-11-19", true},
		{"2025-11-20", "2025-11-19", false}, // read the day after the meeting: next week
		{"2025-11-20", "2025-11-26", true},
		{"2025-11-26", "2025-11-26", true},
		{"2025-12-31", "2026-01-06", true}, // across a year
		{"2026-01-07", "2026-01-06", false},
	} {
		if got := WeekEnding(date(t, tc.week)).Contains(date(t, tc.day)); got != tc.want {
			t.Errorf("WeekEnding(%s).Contains(%s) = %v, want %v", tc.week, tc.day, got, tc.want)
		}
	}
	if w.Contains(time.Time{}) {
		t.Error("the zero time (no read date) is in the week")
	}
	// A time late on the meeting day, in a zone east of UTC, is still that day.
	cst := time.FixedZone("CST", 8*3600)
	if !w.Contains(time.Date(2025, 11, 19, 23, 59, 0, 0, cst)) {
		t.Error("2025-11-19 23:59 +08:00 not in the week ending 2025-11-19")
	}
	if w.Contains(time.Date(2025, 11, 20, 0, 1, 0, 0, cst)) {
		t.Error("2025-11-20 00:01 +08:00 in the week ending 2025-11-19")
	}
	// The meeting date's clock time and zone do not move the week.
	if got := WeekEnding(time.Date(2025, 11, 19, 23, 0, 0, 0, cst)); got != w {
		t.Errorf("WeekEnding(late +08:00) = %s, want %s", got, w)
	}
}

func TestRange(t *testing.T) {
	t.Parallel()
	w, err := Range(date(t, "2025-11-01"), date(t, "2025-11-30"))
	if err != nil || w.Days() != 30 {
		t.Fatalf("Range = %v, %v; want 30 days", w, err)
	}
	if _, err := Range(date(t, "2025-11-30"), date(t, "2025-11-01")); err == nil {
		t.Error("Range(to before from) succeeded")
	}
	one, _ := Range(date(t, "2025-11-19"), date(t, "2025-11-19"))
	if !one.Contains(date(t, "2025-11-19")) || one.Days() != 1 {
		t.Errorf("one-day range = %v", one)
	}
}

func TestNextMeeting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		today   time.Time
		weekday time.Weekday
		want    string
	}{
		{"meeting day is today", date(t, "2025-11-19"), time.Wednesday, "2025-11-19"},
		{"late on the meeting day", time.Date(2025, 11, 19, 23, 59, 59, 0, time.UTC), time.Wednesday, "2025-11-19"},
		{"day after", date(t, "2025-11-20"), time.Wednesday, "2025-11-26"},
		{"day before", date(t, "2025-11-18"), time.Wednesday, "2025-11-19"},
		{"sunday meeting from saturday", date(t, "2025-11-22"), time.Sunday, "2025-11-23"},
		{"saturday meeting from sunday", date(t, "2025-11-23"), time.Saturday, "2025-11-29"},
		{"across a month", date(t, "2025-11-27"), time.Wednesday, "2025-12-03"},
		{"across a year", date(t, "2025-12-29"), time.Friday, "2026-01-02"},
		{"leap day", date(t, "2028-02-27"), time.Tuesday, "2028-02-29"},
		{"local date, not UTC", time.Date(2025, 11, 20, 1, 0, 0, 0, time.FixedZone("CST", 8*3600)), time.Thursday, "2025-11-20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NextMeeting(tc.today, tc.weekday)
			if got.Format(time.DateOnly) != tc.want || got.Weekday() != tc.weekday {
				t.Errorf("NextMeeting(%s, %s) = %s (%s), want %s", tc.today, tc.weekday, got.Format(time.DateOnly), got.Weekday(), tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	// Thursday 2025-11-20, late evening in UTC+8; meetings on Wednesday.
	now := time.Date(2025, 11, 20, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	wed := time.Date(2025, 11, 19, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		give string
		now  time.Time
		want time.Time
	}{
		{"2025-11-19", now, wed},
		{" 2024-02-29 ", now, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"today", now, wed.AddDate(0, 0, 1)},
		{"TODAY", now, wed.AddDate(0, 0, 1)},
		{"今天", now, wed.AddDate(0, 0, 1)},
		{"yesterday", now, wed},
		{"昨天", now, wed},
		{"this", now, wed.AddDate(0, 0, 7)},
		{"本周", now, wed.AddDate(0, 0, 7)},
		{"last", now, wed},
		{"上周", now, wed},
		{"next", now, wed.AddDate(0, 0, 14)},
		{"下周", now, wed.AddDate(0, 0, 14)},
		// On the meeting day itself, this is today and last a week ago.
		{"this", wed.Add(10 * time.Hour), wed},
		{"last", wed.Add(10 * time.Hour), wed.AddDate(0, 0, -7)},
		{"next", wed.Add(10 * time.Hour), wed.AddDate(0, 0, 7)},
		// Across a year end.
		{"yesterday", time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.give, tt.now, time.Wednesday)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q, %s) = %s, %v; want %s", tt.give, tt.now, got, err, tt.want.Format(time.DateOnly))
		}
	}
	for _, bad := range []string{"", "soon", "2025-13-01", "2025/11/19", "tomorrow", "lastweek"} {
		if _, err := ParseDate(bad, now, time.Wednesday); err == nil || !strings.Contains(err.Error(), "is not a date (YYYY-MM-DD, today, yesterday, last, this or next)") {
			t.Errorf("ParseDate(%q) err = %v", bad, err)
		}
	}
	for s, want := range map[string]bool{"this": true, "Last": true, "下周": true, "today": false, "2025-11-19": false} {
		if NeedsMeeting(s) != want {
			t.Errorf("NeedsMeeting(%q) = %v", s, !want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-11-19", "today", "yesterday", "this", "last", "next", "上周", "x"} {
		f.Add(s)
	}
	now := time.Date(2025, 11, 20, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s, now, time.Wednesday)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 {
			t.Errorf("ParseDate(%q) = %s, not midnight UTC", s, d)
		}
	})
}
