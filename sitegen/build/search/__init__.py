"""build/search"""
