"""Responsive images: resized WebP + fallback variants, metadata stripped, cached by content.

`articles.process_article_images` is the build stage. Underneath, `batch.read_source` loads a
file, `batch.process_images` turns sources into output files and template descriptions, and
`cache.ImageCache` keeps processed images between builds. This package imports nothing on its
own, so reading the configuration (`settings`) does not load Pillow.
"""
