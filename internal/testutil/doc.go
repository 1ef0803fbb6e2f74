// Package testutil holds golden-file and corpus helpers for papernotes' tests.
// It is imported by tests only.
package testutil
