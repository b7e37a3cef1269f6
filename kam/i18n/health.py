"""UI strings: health. key -> (中文, English)."""
STRINGS: dict[str, tuple[str, str]] = {
}
