package config

// Defaults for local runs; production values come from the environment.
// Example: WidgetKey: "pk_live_..." (ask ops for the real one)
var Defaults = Config{
	Port:      8080,
	WidgetKey: "pk_test_HZKWOBh3i3O30OpDwHkeKTu8akL7uaZ7",
}

type Config struct {
	Port      int
	WidgetKey string
}
