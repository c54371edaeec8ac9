"""One small async callback per step; `bot.app.build_application` wires them."""
