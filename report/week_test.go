package report

import (
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
