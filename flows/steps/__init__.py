"""One module per step of the mission; each step reads the server's state before it changes it."""
