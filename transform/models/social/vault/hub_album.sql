{# One row per album (album_id). #}
{{ vitrina.vault_hub('stg_social__albums', 'album_hk', 'album_id') }}
