"""Rasa custom actions (rasa-sdk). Each module holds the actions of one area; logic lives in services."""
