"""What every layer shares: configuration, diagnostics, text, dates and localization. Imports
nothing else of sitegen."""
