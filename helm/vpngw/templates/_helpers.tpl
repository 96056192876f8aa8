{{- define "vpngw.name" -}}vpngw{{- end }}

{{- define "vpngw.fullname" -}}
{{- if contains "vpngw" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}-operator
{{- else -}}
{{- printf "%s-vpngw" .Release.Name | trunc 50 | trimSuffix "-" -}}-operator
{{- end -}}
{{- end }}

{{- define "vpngw.labels" -}}
app.kubernetes.io/name: vpngw
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: vpngw
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "vpngw.selectorLabels" -}}
app.kubernetes.io/name: vpngw
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "vpngw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vpngw.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end }}

{{- define "vpngw.operatorImage" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "vpngw.dataplaneImage" -}}
{{ .Values.dataplane.image.repository }}:{{ default .Chart.AppVersion .Values.dataplane.image.tag }}
{{- end }}
