{# Fails with every combination of the columns that appears more than once. #}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set cols = combination_of_columns | join(', ') %}
select {{ cols }}, count(*) as occurrences
from {{ model }}
group by {{ cols }}
having count(*) > 1
{% endtest %}
