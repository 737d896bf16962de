package config

type Config struct {
	Addr      string
	RenderKey string
}

func Default() Config {
	return Config{
		Addr:      ":8080",
		RenderKey: "pk_test_YENG3wmpffc7YbhNAZuIQEepROaL5Jq8",
	}
}
