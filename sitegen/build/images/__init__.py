"""Responsive images: resized WebP + fallback variants, metadata stripped, cached by content.

`articles.process_site_images` is the build stage (`process_article_images` its core).
Underneath, `batch.read_source` loads a file (and `ImageSource.digest` hashes it, once),
`batch.process_images` turns sources into output files and template descriptions, and
`cache.ImageCache` keeps processed images between builds. This package imports nothing on its
own, so reading the configuration (`settings`) does not load Pillow.
"""
