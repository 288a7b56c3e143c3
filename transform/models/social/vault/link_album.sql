{# One row per album and its owner. #}
{{ vitrina.vault_link('stg_social__albums', 'link_album_hk', {'album_hk': ['album_id'], 'owner_hk': ['user_id']}) }}
