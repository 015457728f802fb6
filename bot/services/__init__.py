"""Services behind the gateway's routes: the chat turn, explanations, model info, privacy."""
