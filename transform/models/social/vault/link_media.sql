{# One row per media item, its owner and its album (zero key when none). #}
{{ vitrina.vault_link('stg_social__media', 'link_media_hk', {'media_hk': ['media_id'], 'owner_hk': ['user_id'], 'album_hk': ['album_id']}) }}
