{# The versions of each media item. #}
{{ vitrina.vault_sat('stg_social__media', 'media_hk', ['media_id'], ['kind', 'width', 'height', 'duration_s', 'size_bytes', 'created_at']) }}
