{# The versions of each media item's thumbnail (multi-active by thumbnail_id). #}
{{ vitrina.vault_sat('stg_social__thumbnails', 'media_hk', ['media_id'], ['width', 'height'], children=['thumbnail_id']) }}
