package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/d360-terraform/terraform-provider-d360/internal/fakeapi"
	"github.com/d360-terraform/terraform-provider-d360/internal/hclconfig"
)

// The default number's primary webhook: where it delivered before
// Terraform managed it, and where the configuration points it.
const (
	oldPrimaryURL = "https://old-app.example.com/whatsapp"
	primaryURL    = "https://app.example.com/whatsapp"
)

// primaryBlock is the d360_webhook of the default number, with the
// variable of the app's bearer token, which arrives as TF_VAR_app_token.
func (p practice) primaryBlock() string {
	w := p.withSecret(hclconfig.Destination{URL: primaryURL}, "Authorization", "Bearer ${var.app_token}")
	return p.variable("app_token") + "\n" + hclconfig.Webhook("support", w)
}

// expectedPrimary is what the fake must hold once primaryBlock is applied.
func expectedPrimary(appToken string) fakeapi.Webhook {
	return fakeapi.Webhook{URL: primaryURL, Headers: map[string]string{"Authorization": "Bearer " + appToken}}
}

// primaryLeftWarning is the summary of the warning destroy gives for a
// d360_webhook, whose primary webhook 360dialog cannot remove.
const primaryLeftWarning = "Primary Webhook Left in Place"

// adoptPrimary adds the default number's primary webhook to the
// configuration while the number already has another one: the apply must
// adopt it with exactly one POST, and the next plan must be empty.
func (d *demo) adoptPrimary(ctx context.Context) error {
	if err := d.seedPrimary(ctx); err != nil {
		return err
	}
	d.out.say("360dialog copies a notification to the destinations only after the primary webhook")
	d.out.say("answered 200, so main.tf declares the primary webhook too. It names no number: it is")
	d.out.say("the default number's, like d360_multi_webhook.support, which is fine.")
	primary := d.practice.primaryBlock()
	config := d.practice.mainTF(d.practice.threeDestinations()) + "\n" + secondBlock(secondDestinations) + "\n" + primary
	if err := os.WriteFile(filepath.Join(d.mainDir, "main.tf"), []byte(config), 0o600); err != nil {
		return err
	}
	d.out.block(primary)
	res, err := d.cli.expect(ctx, d.mainDir, 0, "apply must succeed", "apply", "-auto-approve", "-input=false", "-compact-warnings")
	if err != nil {
		return err
	}
	if !strings.Contains(res.output, "1 added, 0 changed, 0 destroyed") {
		return errors.New("the apply did not create exactly one resource and change nothing else")
	}
	d.out.say("\nThe resource is new to Terraform, so the plan shows a create. The create read the")
	d.out.say("number's primary webhook, found %s and sent one POST.", oldPrimaryURL)
	if err := d.checkPrimary(ctx, "shows"); err != nil {
		return err
	}
	return d.expectEmptyPlan(ctx, d.mainDir)
}

// seedPrimary sets the default number's primary webhook outside Terraform,
// waits until the change has settled and forgets the requests it took.
func (d *demo) seedPrimary(ctx context.Context) error {
	d.out.say("The default number's primary webhook was set in the 360dialog hub, long ago:")
	d.out.say("POST /v1/configs/webhook {\"url\": %q}.", oldPrimaryURL)
	if err := d.fake.setPrimary(ctx, d.apiKey, fakeapi.Webhook{URL: oldPrimaryURL}); err != nil {
		return fmt.Errorf("setting the primary webhook outside Terraform: %w", err)
	}
	err := d.fake.waitFor(ctx, d.fingerprint, func(n fakeapi.NumberState) bool {
		return n.Webhook != nil && n.Webhook.URL == oldPrimaryURL
	})
	if err != nil {
		return err
	}
	d.out.say("The change has settled. Counting only Terraform's requests from here on.\n")
	return d.fake.resetLog(ctx)
}

// checkPrimary compares the default number's settled primary webhook at
// the fake with the configured one, and requires that nothing is pending;
// verb says what the confirmation claims ("shows", "still has").
func (d *demo) checkPrimary(ctx context.Context, verb string) error {
	n, err := d.fake.number(ctx, d.fingerprint)
	if err != nil {
		return err
	}
	if n.Pending > 0 {
		return fmt.Errorf("%d changes were still pending at the fake when the command returned", n.Pending)
	}
	if err := compareWebhook(n.Webhook, expectedPrimary(d.appToken)); err != nil {
		return err
	}
	d.out.say("\nChecked: the fake API %s the default number's primary webhook at", verb)
	d.out.say("%s with the configured Authorization header, nothing pending.", primaryURL)
	return nil
}

// compareWebhook reports how the primary webhook the fake holds differs
// from the expected one. It never prints a header value.
func compareWebhook(got *fakeapi.Webhook, want fakeapi.Webhook) error {
	switch {
	case got == nil:
		return errors.New("the fake holds no primary webhook for the number")
	case got.URL != want.URL:
		return fmt.Errorf("the primary webhook is %s at the fake, want %s", got.URL, want.URL)
	case !maps.Equal(got.Headers, want.Headers):
		return errors.New("the primary webhook has other headers at the fake than configured (values not shown)")
	}
	return nil
}
