{#
  Data Vault 2.0 loads: hash keys, hash diffs and the insert-only hub, link and satellite
  models. Every vault model is incremental and adds only what it does not hold yet, so a
  second load of the same data adds no row.
#}

{# All-zero key standing for an absent optional reference (a post outside any community). #}
{% macro zero_key() -%}
    '{{ "0" * 32 }}'
{%- endmacro %}

{#
  The business key as hashed: text, trimmed, upper case, NULL as '^^', parts joined by '||'.
  Integers, decimals and timestamps print alike on DuckDB and PostgreSQL, so the same keys
  come out of both.
#}
{% macro hash_input(columns) -%}
    {%- for c in columns -%}
        coalesce(upper(trim(cast({{ c }} as varchar))), '^^'){% if not loop.last %} || '||' || {% endif %}
    {%- endfor -%}
{%- endmacro %}

{% macro md5_hex(expr) -%}
    {{ return(adapter.dispatch('md5_hex', 'vitrina')(expr)) }}
{%- endmacro %}

{% macro default__md5_hex(expr) -%}
    cast(md5({{ expr }}) as varchar(32))
{%- endmacro %}

{# md5 of the normalised business key; the zero key when every part is NULL. #}
{% macro hash_key(columns) -%}
    case when {% for c in columns %}{{ c }} is null{% if not loop.last %} and {% endif %}{% endfor %}
        then {{ vitrina.zero_key() }}
        else {{ vitrina.md5_hex(vitrina.hash_input(columns)) }}
    end
{%- endmacro %}

{# md5 over a satellite's descriptive columns: a changed value gives a new row. #}
{% macro hash_diff(columns) -%}
    {{ vitrina.md5_hex(vitrina.hash_input(columns)) }}
{%- endmacro %}

{# The load timestamp: when this dbt run started (one value for every row it loads). #}
{% macro load_ts() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{# The record source of a staging model: the clean table it reads (stg_social__posts -> clean.social_posts). #}
{% macro record_source(model_name) -%}
    cast('clean.social_{{ model_name.split("__")[1] }}' as varchar)
{%- endmacro %}

{# The rows of ``relation`` whose hash key the model does not hold yet (all on the first load). #}
{% macro vault_new_keys(relation, hk) -%}
select * from {{ relation }}
{%- if is_incremental() %}
where not exists (select 1 from {{ this }} as held where held.{{ hk }} = {{ relation }}.{{ hk }})
{%- endif %}
{%- endmacro %}

{#
  A hub: one row per business key. ``bk`` is the key column of ``source_model`` (named
  ``bk_name`` in the hub).
#}
{% macro vault_hub(source_model, hk, bk, bk_name=none) -%}
{%- set name = bk_name or bk %}
with staged as (
    select distinct cast({{ bk }} as bigint) as {{ name }}
    from {{ ref(source_model) }}
    where {{ bk }} is not null
),

hashed as (
    select
        {{ vitrina.hash_key([name]) }} as {{ hk }},
        {{ name }},
        {{ vitrina.load_ts() }} as load_ts,
        {{ vitrina.record_source(source_model) }} as record_source
    from staged
)

{{ vitrina.vault_new_keys('hashed', hk) }}
{%- endmacro %}

{#
  A link between hubs. ``refs`` maps each hub key column of the link to the business key
  column(s) of ``source_model`` it hashes; ``keys`` are kept as columns too (dependent
  child keys such as a reaction's id take part in the link's hash key). ``required`` columns
  must be present for a row to be a link.
#}
{% macro vault_link(source_model, hk, refs, keys=[], required=[]) -%}
{%- set parts = [] %}
{%- for ref_hk, cols in refs.items() %}{% do parts.extend(cols) %}{% endfor %}
{%- do parts.extend(keys) %}
with staged as (
    select distinct
        {%- for ref_hk, cols in refs.items() %}
        {{ vitrina.hash_key(cols) }} as {{ ref_hk }},
        {%- endfor %}
        {%- for k in keys %}
        {{ k }},
        {%- endfor %}
        {{ vitrina.hash_key(parts) }} as {{ hk }}
    from {{ ref(source_model) }}
    {%- if required %}
    where {% for c in required %}{{ c }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
    {%- endif %}
),

hashed as (
    select
        {{ hk }},
        {%- for ref_hk in refs %}
        {{ ref_hk }},
        {%- endfor %}
        {%- for k in keys %}
        {{ k }},
        {%- endfor %}
        {{ vitrina.load_ts() }} as load_ts,
        {{ vitrina.record_source(source_model) }} as record_source
    from staged
)

{{ vitrina.vault_new_keys('hashed', hk) }}
{%- endmacro %}

{#
  A satellite of the hub or link whose key hashes ``parent`` (columns of ``source_model``).
  ``children`` are the columns that tell apart several rows of one parent (a multi-active or
  effectivity satellite: a user's badges, a membership's joins); ``attributes`` are the
  described columns. A row is added when its parent (and children) have no row yet or their
  latest row has another hash diff.
#}
{% macro vault_sat(source_model, parent_hk, parent, attributes, children=[]) -%}
{%- set described = children + attributes %}
with staged as (
    select distinct
        {{ vitrina.hash_key(parent) }} as {{ parent_hk }},
        {%- for c in described %}
        {{ c }},
        {%- endfor %}
        {{ vitrina.hash_diff(described) }} as hash_diff
    from {{ ref(source_model) }}
),

{%- if is_incremental() %}

versions as (
    select
        {{ parent_hk }},
        {%- for c in children %}
        {{ c }},
        {%- endfor %}
        hash_diff,
        row_number() over (
            partition by {{ ([parent_hk] + children) | join(', ') }} order by load_ts desc
        ) as version_rank
    from {{ this }}
),

latest as (
    select * from versions where version_rank = 1
),

changed as (
    select staged.*
    from staged
    where not exists (
        select 1 from latest
        where latest.{{ parent_hk }} = staged.{{ parent_hk }}
            {%- for c in children %}
            and latest.{{ c }} = staged.{{ c }}
            {%- endfor %}
            and latest.hash_diff = staged.hash_diff
    )
),
{%- else %}

changed as (
    select * from staged
),
{%- endif %}

final as (
    select
        changed.*,
        {{ vitrina.load_ts() }} as load_ts,
        {{ vitrina.record_source(source_model) }} as record_source
    from changed
)

select * from final
{%- endmacro %}

{#
  The effectivity satellite of a tie held as a snapshot (a friendship, a follow): a tie in the
  snapshot whose latest row is missing or ended opens a period (start_at = its created_at);
  a tie whose latest period is open and that left the snapshot is closed (end_at = this load).
#}
{% macro vault_effectivity(source_model, link_hk, keys, start_col='created_at') -%}
with staged as (
    select distinct
        {{ vitrina.hash_key(keys) }} as {{ link_hk }},
        cast({{ start_col }} as timestamp) as start_at
    from {{ ref(source_model) }}
),

{%- if is_incremental() %}

versions as (
    select
        {{ link_hk }},
        start_at,
        end_at,
        row_number() over (partition by {{ link_hk }} order by load_ts desc) as version_rank
    from {{ this }}
),

latest as (
    select * from versions where version_rank = 1
),

opened as (
    select staged.{{ link_hk }}, staged.start_at, cast(null as timestamp) as end_at
    from staged
    left join latest on latest.{{ link_hk }} = staged.{{ link_hk }}
    where latest.{{ link_hk }} is null or latest.end_at is not null
),

closed as (
    select latest.{{ link_hk }}, latest.start_at, {{ vitrina.load_ts() }} as end_at
    from latest
    where latest.end_at is null
        and not exists (select 1 from staged where staged.{{ link_hk }} = latest.{{ link_hk }})
),

periods as (
    select * from opened
    union all
    select * from closed
),
{%- else %}

periods as (
    select {{ link_hk }}, start_at, cast(null as timestamp) as end_at from staged
),
{%- endif %}

final as (
    select
        {{ link_hk }},
        start_at,
        end_at,
        {{ vitrina.hash_diff(['start_at', 'end_at']) }} as hash_diff,
        {{ vitrina.load_ts() }} as load_ts,
        {{ vitrina.record_source(source_model) }} as record_source
    from periods
)

select * from final
{%- endmacro %}

{# The current rows of a satellite: the latest load of each parent (and children). #}
{% macro vault_current(sat_model, parent_hk, children=[]) -%}
(
    select * from (
        select
            sat.*,
            row_number() over (
                partition by {{ ([parent_hk] + children) | join(', ') }} order by load_ts desc
            ) as version_rank
        from {{ ref(sat_model) }} as sat
    ) as versions
    where version_rank = 1
)
{%- endmacro %}

{#
  The rows of a link (or a hub) with business keys instead of hash keys, and the current
  attributes of one satellite: the star layer's building block. ``hubs`` maps each hash-key
  column of ``link_model`` to [hub model (hub_<x>, keyed by <x>_hk), its key column, the
  output name]; an absent
  reference (the zero key) gives NULL. ``keys`` are columns of the link kept as they are.
#}
{% macro vault_rows(link_model, hubs, sat_model=none, sat_hk=none, attributes=[], children=[], keys=[]) -%}
(
    select
        {%- for k in keys %}
        link.{{ k }},
        {%- endfor %}
        {%- for col, spec in hubs.items() %}
        hub_{{ loop.index }}.{{ spec[1] }} as {{ spec[2] }},
        {%- endfor %}
        {%- for c in children + attributes %}
        sat.{{ c }},
        {%- endfor %}
        link.load_ts
    from {{ ref(link_model) }} as link
    {%- for col, spec in hubs.items() %}
    left join {{ ref(spec[0]) }} as hub_{{ loop.index }} on hub_{{ loop.index }}.{{ spec[0][4:] }}_hk = link.{{ col }}
    {%- endfor %}
    {%- if sat_model %}
    inner join {{ vitrina.vault_current(sat_model, sat_hk, children) }} as sat
        on sat.{{ sat_hk }} = link.{{ sat_hk }}
    {%- endif %}
)
{%- endmacro %}
