package thumbs

// Render is implemented in render.go.
