"""The commands of `mastomove`, one module each: the command's flags (typer), its help, and a few
calls. Settings are built once, from the flags the person gave (options.settings_from). Nothing
heavy is imported before a command runs, so `mastomove --help` is instant."""
