"""The gateway people talk to: app factory, API, console, turn pipeline, process runner."""
