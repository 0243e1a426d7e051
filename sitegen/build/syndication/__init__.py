"""build/syndication"""
