// Package config turns papernotes' configuration into a typed [Config]: the
// embedded default (a byte-identical copy of the repository's documented
// config.yaml), the workspace's own config.yaml, PAPERNOTES_* environment
// overrides, and command-line flag overrides, in rising order of precedence.
//
// It is the only package that imports viper. It takes the environment as a
// parameter ([LoadOptions.Getenv]) so that callers and tests stay hermetic, and
// it never prints.
package config
