{# The versions of each album. #}
{{ vitrina.vault_sat('stg_social__albums', 'album_hk', ['album_id'], ['title', 'created_at']) }}
