"""build/incremental"""
