"""The Streamlit shell's shared pieces: the cached connection, the sidebar context, small drawing helpers.

This is the only place besides app.py and pages/ that imports streamlit; the domain stays in kam/.
"""
