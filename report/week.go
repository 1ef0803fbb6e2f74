package report

import (
	"fmt"
	"strings"
	"time"
)

// Week is an inclusive range of calendar dates. For a group meeting it is the
// seven days that end on the meeting date. Start and End are midnight UTC.
// The zero Week contains nothing.
type Week struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// civil returns the calendar date of t (in t's own location) as midnight UTC,
// so that a date read from YAML and one typed on the command line compare equal.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// WeekEnding returns the seven days that end on date, inclusive: the week
// ending Wednesday 2025-11-19 runs from Thursday 2025-11-13 to 2025-11-19.
func WeekEnding(date time.Time) Week {
	end := civil(date)
	return Week{Start: end.AddDate(0, 0, -6), End: end}
}

// Range returns the dates from..to inclusive. It fails when to is before from.
func Range(from, to time.Time) (Week, error) {
	f, t := civil(from), civil(to)
	if t.Before(f) {
		return Week{}, fmt.Errorf("range ends (%s) before it starts (%s)", t.Format(time.DateOnly), f.Format(time.DateOnly))
	}
	return Week{Start: f, End: t}, nil
}

// NextMeeting returns the first day on or after today that falls on weekday,
// as midnight UTC: on a meeting day it is today itself.
func NextMeeting(today time.Time, weekday time.Weekday) time.Time {
	d := civil(today)
	return d.AddDate(0, 0, (int(weekday)-int(d.Weekday())+7)%7)
}

// Contains reports whether t's calendar date (in t's own location) lies in
// the week. The zero time is never contained.
func (w Week) Contains(t time.Time) bool {
	if t.IsZero() || w.Start.IsZero() {
		return false
	}
	d := civil(t)
	return !d.Before(w.Start) && !d.After(w.End)
}

// Days returns the number of days in the week (7 for [WeekEnding]).
func (w Week) Days() int {
	if w.Start.IsZero() {
		return 0
	}
	return int(w.End.Sub(w.Start).Hours()/24) + 1
}

// String returns "YYYY-MM-DD..YYYY-MM-DD".
func (w Week) String() string {
	return w.Start.Format(time.DateOnly) + ".." + w.End.Format(time.DateOnly)
}

// dateWords are the words [ParseDate] reads, by meaning. The Chinese ones
// are what people type in a Chinese report's workflow.
var dateWords = map[string]string{
	"today": "today", "今天": "today",
	"yesterday": "yesterday", "昨天": "yesterday",
	"this": "this", "本周": "this", "这周": "this",
	"last": "last", "上周": "last",
	"next": "next", "下周": "next",
}

// ParseDate parses a date as typed on the command line (--week, --date):
// YYYY-MM-DD, or a word relative to now, ignoring case:
//
//   - today, yesterday (今天, 昨天): that day;
//   - this (本周, 这周): this week's meeting, the first meeting day on or
//     after today ([NextMeeting]), so that --week this is the week a
//     report written today is for;
//   - last (上周) and next (下周): the meeting a week before or after it.
//
// meeting is the weekday of the group meeting; only the meeting words use
// it ([NeedsMeeting]). The result is midnight UTC. ParseDate never reads the
// clock: now is the caller's.
func ParseDate(s string, now time.Time, meeting time.Weekday) (time.Time, error) {
	word, ok := dateWords[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD, today, yesterday, last, this or next)", s)
		}
		return d, nil
	}
	today := civil(now)
	switch word {
	case "today":
		return today, nil
	case "yesterday":
		return today.AddDate(0, 0, -1), nil
	case "last":
		return NextMeeting(today, meeting).AddDate(0, 0, -7), nil
	case "next":
		return NextMeeting(today, meeting).AddDate(0, 0, 7), nil
	}
	return NextMeeting(today, meeting), nil
}

// NeedsMeeting reports whether s is one of [ParseDate]'s meeting words
// (this, last, next), whose value depends on the meeting weekday; callers
// can then skip loading a configuration for anything else.
func NeedsMeeting(s string) bool {
	switch dateWords[strings.ToLower(strings.TrimSpace(s))] {
	case "this", "last", "next":
		return true
	}
	return false
}
