{#
  One test for a hub or link (a vault has many; one query each keeps dbt build short). Fails
  with every value of the ``keys`` columns that is NULL or not unique, and every hash key of
  a ``references`` column (column -> hub model hub_<x>, keyed by <x>_hk) that its hub lacks;
  the zero key (an absent optional reference) is not checked.
#}
{% test vault_keys(model, keys, references={}) %}
{%- for k in keys %}
select '{{ k }}' as problem_column, cast({{ k }} as varchar) as problem_value
from {{ model }}
group by {{ k }}
having count(*) > 1 or {{ k }} is null
union all
{%- endfor %}
{%- for column, hub in references.items() %}
select '{{ column }}' as problem_column, held.{{ column }} as problem_value
from {{ model }} as held
where held.{{ column }} <> {{ vitrina.zero_key() }}
    and not exists (
        select 1 from {{ ref(hub) }} as hub where hub.{{ hub[4:] }}_hk = held.{{ column }}
    )
union all
{%- endfor %}
select cast(null as varchar) as problem_column, cast(null as varchar) as problem_value
where 1 = 0
{% endtest %}
