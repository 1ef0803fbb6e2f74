package cli

import (
	"time"

	"github.com/papernotes/papernotes/internal/config"
	"github.com/papernotes/papernotes/report"
)

// dateFlag parses the value of a date flag (--week, --date, --from, --to)
// with [report.ParseDate]: YYYY-MM-DD, today, yesterday, or the meeting
// this, last or next week, relative to f.Now(). The meeting weekday comes
// from the config, which is loaded only for those three words. A bad value
// is a usage error.
func (f *Factory) dateFlag(name, v string) (time.Time, error) {
	return parseDateAt(name, v, f.Now(), func() (time.Weekday, error) {
		cfg, err := f.Config()
		if err != nil {
			return 0, err
		}
		return cfg.MeetingWeekday(), nil
	})
}

// parseDateAt is [Factory.dateFlag] at the time now, for code that has a
// clock and a meeting weekday of its own (a command's Run function).
func parseDateAt(name, v string, now time.Time, meeting func() (time.Weekday, error)) (time.Time, error) {
	wd := time.Wednesday // unused unless NeedsMeeting
	if report.NeedsMeeting(v) {
		w, err := meeting()
		if err != nil {
			return time.Time{}, err
		}
		wd = w
	}
	d, err := report.ParseDate(v, now, wd)
	if err != nil {
		return time.Time{}, flagErrorf("--%s: %v", name, err)
	}
	return d, nil
}

// checkDateFlag checks the syntax of a date flag's value, for a command
// that resolves it later (at run time, with its own clock).
func checkDateFlag(name, v string) error {
	_, err := parseDateAt(name, v, time.Time{}, func() (time.Weekday, error) { return time.Wednesday, nil })
	return err
}

// meetingOf returns cfg's meeting weekday, for [parseDateAt].
func meetingOf(cfg *config.Config) func() (time.Weekday, error) {
	return func() (time.Weekday, error) { return cfg.MeetingWeekday(), nil }
}
