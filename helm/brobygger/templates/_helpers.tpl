{{/* Name prefix of every object: the release name, plus the chart name unless the release already contains it. */}}
{{- define "brobygger.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "brobygger.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "registry"). */}}
{{- define "brobygger.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "brobygger.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The Secret holding the JWT public keys. */}}
{{- define "brobygger.jwtSecret" -}}
{{- .Values.jwt.existingSecret | default (printf "%s-jwt-keys" (include "brobygger.fullname" .)) -}}
{{- end -}}

{{/* The Secret holding the Redis password, or empty when there is none. */}}
{{- define "brobygger.redisSecret" -}}
{{- if .Values.redis.existingSecret -}}
{{ .Values.redis.existingSecret }}
{{- else if .Values.redis.password -}}
{{ printf "%s-redis" (include "brobygger.fullname" .) }}
{{- end -}}
{{- end -}}

{{- define "brobygger.redisHost" -}}
{{- if .Values.redis.external.enabled -}}
{{ required "redis.external.host is required when redis.external.enabled" .Values.redis.external.host }}
{{- else -}}
{{ printf "%s-redis" (include "brobygger.fullname" .) }}
{{- end -}}
{{- end -}}

{{- define "brobygger.redisPort" -}}
{{- if .Values.redis.external.enabled -}}{{ .Values.redis.external.port }}{{- else -}}6379{{- end -}}
{{- end -}}

{{/* The Secret holding matching's registry token, or empty. */}}
{{- define "brobygger.registryTokenSecret" -}}
{{- $t := .Values.services.matching.registryToken -}}
{{- if $t.existingSecret -}}
{{ $t.existingSecret }}
{{- else if $t.value -}}
{{ printf "%s-registry-token" (include "brobygger.fullname" .) }}
{{- end -}}
{{- end -}}

{{/* The Secret holding the SMTP password, or empty. */}}
{{- define "brobygger.smtpSecret" -}}
{{- $s := .Values.services.notifications.smtp -}}
{{- if $s.existingSecret -}}
{{ $s.existingSecret }}
{{- else if $s.password -}}
{{ printf "%s-smtp" (include "brobygger.fullname" .) }}
{{- end -}}
{{- end -}}
